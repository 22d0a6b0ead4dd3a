import { EntityManager } from 'typeorm';

declare const opaque: unique symbol;

/**
 * An open unit of work, handed by TransactionRunnerService to services, which pass it on to store
 * methods unopened: only stores turn it into the EntityManager it is.
 */
export type Transaction = { readonly [opaque]: 'Transaction' };

export function asTransaction(manager: EntityManager): Transaction {
  return manager as unknown as Transaction;
}

/** For stores only: the manager whose queries run inside the transaction. */
export function managerOf(transaction: Transaction): EntityManager {
  return transaction as unknown as EntityManager;
}
