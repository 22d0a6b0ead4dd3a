import { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Plain SQL for the few statements on the registration hot path, with rows converted to and from
 * entities by TypeORM's own driver rules (booleans, simple-json, dates, transformers), so that these
 * statements and the repositories read and write the same values. A repository call builds its SQL
 * anew each time and an entity save reads the row back; profiled under load, that bookkeeping was the
 * largest share of a registration's CPU time besides the hash. The SQL is portable between SQLite and
 * MySQL/MariaDB: `?` placeholders and unquoted snake_case names that neither reserves.
 */
export class EntityRows<T extends ObjectLiteral> {
  private readonly metadata: EntityMetadata;
  private readonly selected: ColumnMetadata[];
  private readonly byProperty: Map<string, ColumnMetadata>;
  /** The SELECT list of every column a repository reads by default. */
  readonly selectList: string;

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<T>,
  ) {
    this.metadata = dataSource.getMetadata(target);
    this.selected = this.metadata.columns.filter((column) => column.isSelect && !column.relationMetadata);
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

  /** Runs a SELECT whose list is `selectList` and returns its first row as an entity. */
  async findOne(sql: string, parameters: unknown[]): Promise<T | null> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(sql, parameters);
    return rows.length === 0 ? null : this.hydrate(rows[0]);
  }

  /** Whether a query returns any row. */
  async exists(sql: string, parameters: unknown[]): Promise<boolean> {
    return (await this.dataSource.query<unknown[]>(sql, parameters)).length > 0;
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

  private hydrate(row: Record<string, unknown>): T {
    const driver = this.dataSource.driver;
    const entity = this.metadata.create() as T;
    for (const column of this.selected) {
      if (column.databaseName in row) {
        column.setEntityValue(entity, driver.prepareHydratedValue(row[column.databaseName], column));
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
