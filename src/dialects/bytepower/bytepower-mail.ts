import { OutgoingMail } from '../../mail/mail.service';

/** The sign-up code mail. */
export function signupCodeMail(to: string, code: string, ttlSeconds: number): OutgoingMail {
  const minutes = Math.max(1, Math.round(ttlSeconds / 60));
  return {
    to,
    subject: 'Your sign-up code',
    text: `Your sign-up code is ${code}. It is valid for ${minutes} minutes. If you did not ask for it, ignore this mail.`,
  };
}

/** The password reset code mail. */
export function resetCodeMail(to: string, code: string, ttlSeconds: number): OutgoingMail {
  const minutes = Math.max(1, Math.round(ttlSeconds / 60));
  return {
    to,
    subject: 'Your password reset code',
    text:
      `Your password reset code is ${code}. It is valid for ${minutes} minutes. ` +
      'If you did not ask for it, ignore this mail: your password stays as it is.',
  };
}
