import { OutgoingMail } from '../../mail/mail.service';

/** The registration-code mail, in the language the client asked in. */
export function registrationCodeMail(to: string, code: string, ttlSeconds: number, chinese: boolean): OutgoingMail {
  const minutes = Math.max(1, Math.round(ttlSeconds / 60));
  return chinese
    ? {
        to,
        subject: '注册验证码',
        text: `您的注册验证码是 ${code}，${minutes} 分钟内有效。如非本人操作，请忽略本邮件。`,
      }
    : {
        to,
        subject: 'Your registration code',
        text: `Your registration code is ${code}. It is valid for ${minutes} minutes. If you did not ask for it, ignore this mail.`,
      };
}

/** The password-reset code mail (sendEmail emailType 2), in the language the client asked in. */
export function passwordResetCodeMail(to: string, code: string, ttlSeconds: number, chinese: boolean): OutgoingMail {
  const minutes = Math.max(1, Math.round(ttlSeconds / 60));
  return chinese
    ? {
        to,
        subject: '重置密码验证码',
        text: `您的重置密码验证码是 ${code}，${minutes} 分钟内有效。如非本人操作，请忽略本邮件，您的密码不会改变。`,
      }
    : {
        to,
        subject: 'Your password reset code',
        text: `Your password reset code is ${code}. It is valid for ${minutes} minutes. If you did not ask for it, ignore this mail: your password stays as it is.`,
      };
}
