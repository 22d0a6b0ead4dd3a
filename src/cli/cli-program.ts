import { Injectable } from '@nestjs/common';
import { InjectCommander } from 'nest-commander';

/** The root commander program, as far as unireg touches it. */
interface Program {
  name(name: string): unknown;
}

/** Commander names the program after the script (`cli`); help and errors should say `unireg`. */
@Injectable()
export class CliProgram {
  constructor(@InjectCommander() program: Program) {
    program.name('unireg');
  }
}
