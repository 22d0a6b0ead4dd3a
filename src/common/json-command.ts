import { CommandRunner, Option } from 'nest-commander';

export interface JsonOption {
  json?: boolean;
}

/** A command with `--json`: stdout then holds exactly one JSON object, and nothing else. */
export abstract class JsonCommand<Options extends JsonOption = JsonOption> extends CommandRunner {
  @Option({ flags: '--json', description: 'print one JSON object on stdout' })
  parseJson(): boolean {
    return true;
  }

  abstract override run(params: string[], options: Options): Promise<void>;

  protected print(options: JsonOption, result: object, human: string): void {
    process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${human}\n`);
  }
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
