import { Clock } from '../../src/clock/clock';

/** A clock that stands still until a test moves it. */
export class FakeClock extends Clock {
  constructor(private at = Date.UTC(2026, 0, 1)) {
    super();
  }

  override now(): number {
    return this.at;
  }

  advance(seconds: number): void {
    this.at += seconds * 1000;
  }
}
