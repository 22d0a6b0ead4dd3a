import { CommandRunner, Option } from 'nest-commander';

export interface JsonOption {
  json?: boolean;
}

type ProgramCommand = CommandRunner['command'];

/** A command with `--json`: stdout then holds exactly one JSON object, and nothing else. */
export abstract class JsonCommand<Options extends JsonOption = JsonOption> extends CommandRunner {
  @Option({ flags: '--json', description: 'print one JSON object on stdout' })
  parseJson(): boolean {
    return true;
  }

  /** Arguments a command does not name are refused rather than silently dropped. */
  override setCommand(command: ProgramCommand): this {
    return super.setCommand(command.allowExcessArguments(false));
  }

  abstract override run(params: string[], options: Options): Promise<void>;

  protected print(options: JsonOption, result: object, human: string): void {
    process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${human}\n`);
  }
}

/** A command that only groups subcommands: a word it does not know is an unknown command. */
export abstract class ParentCommand extends CommandRunner {
  async run(params: string[]): Promise<void> {
    if (params.length > 0) {
      throw new Error(`unknown command '${params[0]}' for '${this.command.name()}'`);
    }
    this.command.help({ error: true });
  }
}

/** An option value that must not be blank (names shown to people). */
export function parseNonEmptyOption(name: string) {
  return (value: string): string => {
    if (value.trim() === '') {
      throw new Error(`${name} must not be empty`);
    }
    return value;
  };
}

/** An option value that becomes an identifier clients send: 1 to 64 letters, digits, `_` or `-`. */
export function parseIdentifierOption(name: string) {
  return (value: string): string => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
      throw new Error(`${name} must be 1 to 64 letters, digits, "_" or "-"`);
    }
    return value;
  };
}

/** Parses a whole number within bounds for commander, or fails the command with a clear reason. */
export function parseIntegerOption(name: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new Error(`${name} must be a whole number from ${min} to ${max}`);
    }
    return Number(value);
  };
}

/** `--common-passwords allowed|refused`: whether a tenant lets passwords from the common list through. */
export function parseCommonPasswordsOption(value: string): boolean {
  if (value !== 'allowed' && value !== 'refused') {
    throw new Error('--common-passwords must be allowed or refused');
  }
  return value === 'allowed';
}
