import { Injectable } from '@nestjs/common';
import { InjectCommander } from 'nest-commander';

/** The root commander program, as far as unireg touches it. */
interface Program {
  name(name: string): unknown;
  hook(event: 'preAction', listener: (program: unknown, command: { commands: readonly unknown[] }) => void): unknown;
}

/** Commander names the program after the script (`cli`); help and errors should say `unireg`. */
@Injectable()
export class CliProgram {
  constructor(@InjectCommander() private readonly program: Program) {
    program.name('unireg');
  }

  /**
   * `listener` runs once commander has picked a command that does work: never for help, the version, a
   * usage error, or a command that only groups others (a `ParentCommand` answers with help or an unknown-command error).
   */
  beforeCommand(listener: () => void): void {
    this.program.hook('preAction', (program, command) => {
      if (command.commands.length === 0) {
        listener();
      }
    });
  }
}
