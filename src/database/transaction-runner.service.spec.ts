import { DataSource, EntityManager } from 'typeorm';
import { TRANSACTION_ATTEMPTS, TransactionRunnerService } from './transaction-runner.service';

/** A MySQL data source whose transactions fail with the given driver errors, then succeed. */
function dataSourceFailing(...failures: { code: string }[]) {
  const transaction = jest.fn(async (work: (manager: EntityManager) => Promise<unknown>) => {
    const failure = failures.shift();
    if (failure) {
      throw Object.assign(new Error(failure.code), { driverError: failure });
    }
    return work({} as EntityManager);
  });
  return { dataSource: { options: { type: 'mysql' }, transaction } as unknown as DataSource, transaction };
}

describe('TransactionRunnerService', () => {
  it.each(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT'])('runs a transaction aborted with %s again', async (code) => {
    const { dataSource, transaction } = dataSourceFailing({ code }, { code });
    await expect(new TransactionRunnerService(dataSource).run(async () => 'done')).resolves.toBe('done');
    expect(transaction).toHaveBeenCalledTimes(3);
  });

  it(`gives up after ${TRANSACTION_ATTEMPTS} tries with the database's error`, async () => {
    const { dataSource, transaction } = dataSourceFailing(...Array.from({ length: TRANSACTION_ATTEMPTS }, () => ({ code: 'ER_LOCK_DEADLOCK' })));
    await expect(new TransactionRunnerService(dataSource).run(async () => 'done')).rejects.toThrow('ER_LOCK_DEADLOCK');
    expect(transaction).toHaveBeenCalledTimes(TRANSACTION_ATTEMPTS);
  });

  it('does not run any other failure again', async () => {
    const { dataSource, transaction } = dataSourceFailing({ code: 'ER_DUP_ENTRY' });
    await expect(new TransactionRunnerService(dataSource).run(async () => 'done')).rejects.toThrow('ER_DUP_ENTRY');
    expect(transaction).toHaveBeenCalledTimes(1);
  });
});
