import { Transaction } from '../database/transaction';

/**
 * Something a registration uses up (a verification code, an invite): checked before the costly hash,
 * spent in the same transaction as the INSERT, so it is used up exactly when the user is created and
 * a race on one claim has exactly one winner.
 */
export interface RegistrationClaim {
  /** Throws the claim's DomainError when it cannot be spent. */
  check(): Promise<void>;
  /** Spends the checked claim; throws the same error when a racing registration spent it first. */
  spend(transaction: Transaction, userId: number): Promise<void>;
  /** Whether spending it proves the user owns the email address. */
  readonly provesEmail: boolean;
}
