import { Injectable, Module } from '@nestjs/common';

/** The time every expiry and lockout is measured against; tests replace it to move time without editing rows. */
@Injectable()
export class Clock {
  /** Milliseconds since the epoch. */
  now(): number {
    return Date.now();
  }
}

@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
