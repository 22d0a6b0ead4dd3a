import { OutgoingMail } from '../../mail/mail.service';
import { CodePurpose } from '../../users/entities/verification-code.entity';

/** What the userpool's codes are for: `POST /api/v1/email/send` issues these three. */
export type UserpoolCodePurpose = CodePurpose.Registration | CodePurpose.Login | CodePurpose.ResetPassword;

const WHAT: Record<UserpoolCodePurpose, string> = {
  [CodePurpose.Registration]: 'registration',
  [CodePurpose.Login]: 'sign-in',
  [CodePurpose.ResetPassword]: 'password reset',
};

/** The mail carrying a code, saying what it is for. */
export function codeMail(to: string, code: string, purpose: UserpoolCodePurpose, ttlSeconds: number): OutgoingMail {
  const minutes = Math.max(1, Math.round(ttlSeconds / 60));
  return {
    to,
    subject: `Your ${WHAT[purpose]} code`,
    text: `Your ${WHAT[purpose]} code is ${code}. It is valid for ${minutes} minutes. If you did not ask for it, ignore this mail.`,
  };
}
