import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SchemaObject, SwaggerModule } from '@nestjs/swagger';
import { IS_URL } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { DialectRoutes } from '../common/dialect-resolver';
import { EMAIL_MAX_LENGTH } from '../users/normalization';

/** The keywords of a derived property schema that state a limit; the rest (types, references) Swagger already has. */
const LIMIT_KEYWORDS = ['minLength', 'maxLength', 'pattern', 'format', 'enum'] as const;

const CONVERTERS: NonNullable<Parameters<typeof validationMetadatasToSchemas>[0]>['additionalConverters'] = {
  // The library says `format: url`; the protocols the server allows are in the decorator's options.
  [IS_URL]: (meta) => {
    const options = meta.constraints[0] as { require_protocol?: boolean; protocols?: string[] } | undefined;
    const protocols = options?.require_protocol ? options.protocols : undefined;
    return { type: 'string', format: 'uri', ...(protocols ? { pattern: `^(${protocols.join('|')})://` } : {}) };
  },
  // @IsEmailAddress is unireg's own validator (users/email-address.validator.ts).
  isEmailAddress: { type: 'string', format: 'email', maxLength: EMAIL_MAX_LENGTH },
};

/**
 * The OpenAPI document served at /docs: Swagger's, with the limits of every class-validator DTO merged in.
 * The limits are derived from the decorators the validation pipe runs (class-validator-jsonschema), so each
 * is written once, in its decorator; and since that pipe refuses unknown fields, those schemas are closed.
 * Schemas are matched by class name, Swagger's schema name: a validated DTO must not be renamed by @ApiSchema.
 */
export function createOpenApiDocument(app: INestApplication, dialects: readonly Pick<DialectRoutes, 'name'>[]): OpenAPIObject {
  const names = dialects.map(({ name }) => `\`${name}\``).join(', ');
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('unireg')
      .setDescription(
        `One registration backend speaking the register APIs of ${dialects.length} vendors, one dialect each: ${names}. ` +
          "Each tag is one dialect; every error comes in that dialect's envelope.",
      )
      .setVersion('1')
      // The scheme @ApiBearerAuth() names; without it Swagger UI has no Authorize button and clients send no header.
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  mergeValidationLimits(document.components?.schemas ?? {});
  return document;
}

function mergeValidationLimits(schemas: Record<string, SchemaObject | { $ref: string }>): void {
  for (const [name, derived] of Object.entries(validationMetadatasToSchemas({ additionalConverters: CONVERTERS }))) {
    const documented = schemas[name];
    if (documented === undefined || '$ref' in documented) {
      continue;
    }
    for (const [property, limits] of Object.entries(derived.properties ?? {})) {
      const target = documented.properties?.[property];
      if (target === undefined) {
        // Two DTO classes share a name (Swagger keeps one), or a validated field is undocumented.
        throw new Error(`OpenAPI schema ${name} has no property ${property} that its class validates`);
      }
      if ('$ref' in target || 'allOf' in target || '$ref' in limits) {
        continue;
      }
      for (const keyword of LIMIT_KEYWORDS) {
        if (limits[keyword] !== undefined) {
          (target as Record<string, unknown>)[keyword] = limits[keyword];
        }
      }
    }
    documented.required = derived.required;
    documented.additionalProperties = false;
  }
}
