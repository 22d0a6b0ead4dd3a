/** One verification-code SMS, as every transport hands it over (the `http` transport's JSON body). */
export interface SmsMessage {
  /** E.164, e.g. `+8613800138000`. */
  to: string;
  template: 'verify_code';
  params: { code: string; minutes: number };
  /** The whole text, code included, for gateways that take no template. */
  text: string;
}

/** A way to send SMS, chosen once at start from SMS_PROVIDER (`SmsModule`). */
export interface SmsTransport {
  /**
   * Hands the message over and says where it went, for the log line (never the code or the text); throws
   * when the gateway refuses it or cannot be reached, with a reason that quotes no secret and no code.
   */
  send(message: SmsMessage): Promise<string>;
}

export const SMS_TRANSPORT = Symbol('SMS_TRANSPORT');
