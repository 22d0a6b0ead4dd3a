import { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Plain SQL for the statements on the hot paths (registration, sign-in, token reads and refreshes), with
 * rows converted to and from entities by TypeORM's own driver rules (booleans, simple-json, dates,
 * transformers), so that these statements and the repositories read and write the same values. A
 * repository call builds its SQL anew each time and an entity save reads the row back; profiled under
 * load, that bookkeeping was the largest share of a registration's CPU time besides the hash, and about
 * a quarter of a token read's or refresh's. The SQL is portable between SQLite and
 * MySQL/MariaDB: `?` placeholders and unquoted snake_case names that neither reserves.
 */
export class EntityRows<T extends ObjectLiteral> {
  private readonly metadata: EntityMetadata;
  /** The columns a row may hold a value of: a join column without a property of its own has none. */
  private readonly stored: ColumnMetadata[];
  private readonly selected: ColumnMetadata[];
  private readonly byProperty: Map<string, ColumnMetadata>;
  /** The SELECT list of every column a repository reads by default. */
  readonly selectList: string;

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<T>,
  ) {
    this.metadata = dataSource.getMetadata(target);
    this.stored = this.metadata.columns.filter((column) => !column.isVirtual);
    this.selected = this.stored.filter((column) => column.isSelect);
    this.byProperty = new Map(this.metadata.columns.map((column) => [column.propertyName, column]));
    this.selectList = this.selected.map((column) => column.databaseName).join(', ');
  }

  get table(): string {
    return this.metadata.tableName;
  }

  /** The database name of an entity property, for hand-written WHERE clauses. */
  column(property: keyof T & string): string {
    return this.require(property).databaseName;
  }

  /**
   * `selectList` read through the table alias `alias`, each column named `alias_column`, for a SELECT that
   * joins tables whose columns share names; `fromRow` reads the entity back.
   */
  selectListAs(alias: string): string {
    return this.selected.map((column) => `${alias}.${column.databaseName} AS ${alias}_${column.databaseName}`).join(', ');
  }

  /**
   * Runs a SELECT that lists `selectList`, and maybe columns a repository leaves out unless asked (a
   * password hash), or only the columns a caller needs, on `manager` (a transaction's) or else the data
   * source, and returns its first row as an entity; a column the SELECT leaves out stays unset.
   */
  async findOne(sql: string, parameters: unknown[], manager?: EntityManager): Promise<T | null> {
    const rows = await this.select(sql, parameters, manager);
    return rows.length === 0 ? null : this.hydrate(rows[0], '');
  }

  /** Runs a SELECT on `manager` or else the data source and returns its rows as the driver gives them. */
  select(sql: string, parameters: unknown[], manager?: EntityManager): Promise<Record<string, unknown>[]> {
    return (manager ?? this.dataSource.manager).query<Record<string, unknown>[]>(sql, parameters);
  }

  /** The entity `row` holds under `selectListAs(alias)`; null when every column is null, as a LEFT JOIN that found none leaves them. */
  fromRow(row: Record<string, unknown>, alias: string): T | null {
    const found = this.selected.some((column) => {
      const value = row[`${alias}_${column.databaseName}`];
      return value !== null && value !== undefined;
    });
    return found ? this.hydrate(row, `${alias}_`) : null;
  }

  /**
   * Runs an UPDATE or DELETE on `manager` and returns how many rows it matched, read as TypeORM's own update
   * reads it: SQLite counts every row it wrote, changed or not, and mysql2 sets FOUND_ROWS, so an UPDATE that
   * changes nothing counts on both. `manager.query` cannot tell: for any statement but a read it hands on
   * better-sqlite3's last inserted rowid.
   */
  async run(manager: EntityManager, sql: string, parameters: unknown[]): Promise<number> {
    const queryRunner = manager.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      const result = await queryRunner.query(sql, parameters, true);
      return result.affected ?? 0;
    } finally {
      if (queryRunner !== manager.queryRunner) {
        await queryRunner.release();
      }
    }
  }

  /** Whether a query returns any row. */
  async exists(sql: string, parameters: unknown[]): Promise<boolean> {
    return (await this.select(sql, parameters)).length > 0;
  }

  /**
   * An INSERT of exactly `properties` (every column without a database-generated value must be among
   * them), built once; running it returns the generated primary key without reading the row back.
   */
  prepareInsert<K extends keyof T & string>(properties: readonly K[]): (manager: EntityManager, values: Pick<T, K>) => Promise<number> {
    const columns = properties.map((property) => this.require(property));
    const driver = this.dataSource.driver;
    const sql = `INSERT INTO ${this.table} (${columns.map((column) => column.databaseName).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    return async (manager, values) => {
      const parameters = columns.map((column) => driver.preparePersistentValue(values[column.propertyName as K], column) as unknown);
      const result = (await manager.query(sql, parameters)) as unknown;
      // TypeORM passes on the driver's answer: the rowid from better-sqlite3, a result header from mysql2.
      const id = typeof result === 'object' && result !== null ? (result as { insertId: unknown }).insertId : result;
      return Number(id);
    };
  }

  private hydrate(row: Record<string, unknown>, prefix: string): T {
    const driver = this.dataSource.driver;
    const entity = this.metadata.create() as T;
    for (const column of this.stored) {
      const name = prefix + column.databaseName;
      if (name in row) {
        column.setEntityValue(entity, driver.prepareHydratedValue(row[name], column));
      }
    }
    return entity;
  }

  private require(property: string): ColumnMetadata {
    const column = this.byProperty.get(property);
    if (!column) {
      throw new Error(`${this.metadata.name} has no column ${property}`);
    }
    return column;
  }
}
