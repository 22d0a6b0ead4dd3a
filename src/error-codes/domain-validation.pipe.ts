import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainErrorCode } from './domain-error-code.enum';
import { DomainError, FieldError } from './domain-error';
import { ErrorCode } from './error-code';

/** Attach to a class-validator decorator so its failure becomes this domain code: `{ context: errorCode(X) }`. */
export function errorCode(code: ErrorCode, params?: Record<string, string | number>) {
  return { code, params };
}

const REQUIRED_CONSTRAINTS = ['isDefined', 'isNotEmpty'];

function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraints = Object.keys(error.constraints ?? {});
    if (constraints.length === 0) {
      return fieldErrors(error.children ?? [], field);
    }
    // A missing value fails every rule at once; report it as missing, not as malformed.
    const constraint = constraints.find((name) => REQUIRED_CONSTRAINTS.includes(name)) ?? constraints[0];
    if (constraint === 'whitelistValidation') {
      return [{ field, code: DomainErrorCode.UNKNOWN_FIELD }];
    }
    const context = error.contexts?.[constraint] as ReturnType<typeof errorCode> | undefined;
    return [{ field, code: context?.code ?? DomainErrorCode.VALIDATION_FAILED, params: context?.params }];
  });
}

/**
 * The global ValidationPipe, speaking the domain vocabulary: a body that is not a JSON object is
 * MALFORMED_REQUEST, and failed fields become a DomainError whose code is the first field's.
 */
@Injectable()
export class DomainValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => {
        const fields = fieldErrors(errors);
        const first = fields[0] ?? { field: undefined, code: DomainErrorCode.VALIDATION_FAILED };
        return new DomainError(first.code, { field: first.field, params: first.params, fields });
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object && !isObject) {
      throw new DomainError(DomainErrorCode.MALFORMED_REQUEST, { reason: 'the body must be a JSON object' });
    }
    return super.transform(value, metadata);
  }
}
