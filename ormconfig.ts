import { DataSource } from 'typeorm';
import { loadConfig, readEnvironment } from './src/config/app-config';
import { buildDataSourceOptions } from './src/database/typeorm-options';
import { DIALECTS } from './src/dialects';

/** For the TypeORM CLI (`npm run migration:generate`); the service and `cli.js migrate` use the same options. */
export default new DataSource(buildDataSourceOptions(loadConfig(readEnvironment()).database, DIALECTS));
