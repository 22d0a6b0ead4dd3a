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
    const { dataSource, transaction } = dataSourceFailing(
      ...Array.from({ length: TRANSACTION_ATTEMPTS }, () => ({ code: 'ER_LOCK_DEADLOCK' })),
    );
    await expect(new TransactionRunnerService(dataSource).run(async () => 'done')).rejects.toThrow('ER_LOCK_DEADLOCK');
    expect(transaction).toHaveBeenCalledTimes(TRANSACTION_ATTEMPTS);
  });

  it('does not run any other failure again', async () => {
    const { dataSource, transaction } = dataSourceFailing({ code: 'ER_DUP_ENTRY' });
    await expect(new TransactionRunnerService(dataSource).run(async () => 'done')).rejects.toThrow('ER_DUP_ENTRY');
    expect(transaction).toHaveBeenCalledTimes(1);
  });

  it('runs a single statement aborted by a conflict again, without a transaction', async () => {
    const { dataSource, transaction } = dataSourceFailing();
    const statement = jest
      .fn()
      .mockRejectedValueOnce(Object.assign(new Error('deadlock'), { driverError: { code: 'ER_LOCK_DEADLOCK' } }))
      .mockResolvedValueOnce(7);
    await expect(new TransactionRunnerService(dataSource).runStatement(statement)).resolves.toBe(7);
    expect(statement).toHaveBeenCalledTimes(2);
    expect(transaction).not.toHaveBeenCalled();
  });

  it('on SQLite, queues a single statement behind an open transaction rather than running inside it', async () => {
    const order: string[] = [];
    let finishTransaction!: () => void;
    const dataSource = {
      options: { type: 'better-sqlite3' },
      manager: {} as EntityManager,
      transaction: async (work: (manager: EntityManager) => Promise<unknown>) => {
        order.push('begin');
        await new Promise<void>((done) => (finishTransaction = done));
        const result = await work({} as EntityManager);
        order.push('commit');
        return result;
      },
    } as unknown as DataSource;
    const runner = new TransactionRunnerService(dataSource);
    const inTransaction = runner.run(async () => order.push('transaction work'));
    const alone = runner.runStatement(async () => order.push('statement'));
    await new Promise((done) => setImmediate(done));
    expect(order).toEqual(['begin']);
    finishTransaction();
    await Promise.all([inTransaction, alone]);
    expect(order).toEqual(['begin', 'transaction work', 'commit', 'statement']);
  });
});
