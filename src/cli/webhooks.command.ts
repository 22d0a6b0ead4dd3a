import { Command, Option, SubCommand } from 'nest-commander';
import { JsonCommand, JsonOption, ParentCommand, parseIntegerOption } from '../common/json-command';
import { TenantsService } from '../users/tenants.service';
import { DeliveryStatus, WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { WebhookEndpoint } from '../webhooks/webhook-endpoint.entity';
import { WebhookEndpointsService } from '../webhooks/webhook-endpoints.service';

const TENANT_OPTION = {
  flags: '--tenant <tenant>',
  description: 'a userpool id, a user domain, a BytePower app id, or site (kind:code when ambiguous)',
};

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

/** An id argument: a whole number, or the command fails naming it. */
function idArgument(what: string, value: string | undefined): number {
  if (value === undefined || !/^\d{1,10}$/.test(value)) {
    throw new Error(`${what} must be a whole number, e.g. 1`);
  }
  return Number(value);
}

function endpointView(endpoint: WebhookEndpoint) {
  return {
    id: String(endpoint.id),
    tenant: endpoint.tenant ? `${endpoint.tenant.kind}:${endpoint.tenant.code}` : null,
    url: endpoint.url,
    events: endpoint.eventTypes === null ? null : endpoint.eventTypes.split(','),
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    disabledAt: iso(endpoint.disabledAt),
    failingSince: iso(endpoint.failingSince),
    createdAt: iso(endpoint.createdAt),
  };
}

function deliveryView(delivery: WebhookDelivery) {
  return {
    id: String(delivery.id),
    endpoint: String(delivery.endpointId),
    eventType: delivery.event?.type ?? null,
    webhookId: delivery.event?.messageId ?? null,
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatus: delivery.lastStatus,
    lastError: delivery.lastError,
    lastAttemptAt: iso(delivery.lastAttemptAt),
    nextAttemptAt: delivery.status === DeliveryStatus.Pending ? iso(delivery.nextAttemptAt) : null,
    deliveredAt: iso(delivery.deliveredAt),
  };
}

interface AddOptions extends JsonOption {
  tenant: string;
  url: string;
  events?: string[];
}

@SubCommand({ name: 'add', description: "add an endpoint for a tenant's user events; prints its secret, shown this once" })
export class WebhooksAddCommand extends JsonCommand<AddOptions> {
  constructor(
    private readonly webhooks: WebhookEndpointsService,
    private readonly tenants: TenantsService,
  ) {
    super();
  }

  @Option({ ...TENANT_OPTION, required: true })
  parseTenant(value: string): string {
    return value;
  }

  @Option({ flags: '--url <url>', description: 'the http(s) URL to POST each event to', required: true })
  parseUrl(value: string): string {
    return value;
  }

  @Option({ flags: '--events <types>', description: 'comma-separated event types, e.g. user.created,user.login (default: every type)' })
  parseEvents(value: string): string[] {
    return value.split(',').map((type) => type.trim());
  }

  async run(_params: string[], options: AddOptions): Promise<void> {
    const tenant = await this.tenants.resolve(options.tenant);
    const { endpoint, secret } = await this.webhooks.add(tenant, options.url, options.events);
    this.print(
      options,
      { id: String(endpoint.id), secret },
      `Webhook endpoint ${endpoint.id} added for ${tenant.kind}:${tenant.code}.\nSecret (shown only now): ${secret}`,
    );
  }
}

interface ListOptions extends JsonOption {
  tenant?: string;
}

@SubCommand({ name: 'list', description: 'list webhook endpoints, optionally of one tenant' })
export class WebhooksListCommand extends JsonCommand<ListOptions> {
  constructor(
    private readonly webhooks: WebhookEndpointsService,
    private readonly tenants: TenantsService,
  ) {
    super();
  }

  @Option(TENANT_OPTION)
  parseTenant(value: string): string {
    return value;
  }

  async run(_params: string[], options: ListOptions): Promise<void> {
    const tenant = options.tenant === undefined ? undefined : await this.tenants.resolve(options.tenant);
    const endpoints = (await this.webhooks.list(tenant?.id)).map(endpointView);
    const lines = endpoints.map((e) =>
      [
        e.id,
        e.tenant,
        e.url,
        e.events?.join(',') ?? 'all',
        e.enabled ? 'enabled' : `disabled (${e.disabledReason})`,
        e.failingSince ?? '-',
      ].join('\t'),
    );
    this.print(options, { endpoints }, [['ID', 'TENANT', 'URL', 'EVENTS', 'STATE', 'FAILING SINCE'].join('\t'), ...lines].join('\n'));
  }
}

interface RotateOptions extends JsonOption {
  graceHours?: number;
}

@SubCommand({
  name: 'rotate-secret',
  arguments: '<id>',
  description: 'give an endpoint a new secret, shown this once; the old one also signs for --grace-hours (default 24)',
})
export class WebhooksRotateSecretCommand extends JsonCommand<RotateOptions> {
  constructor(private readonly webhooks: WebhookEndpointsService) {
    super();
  }

  @Option({ flags: '--grace-hours <hours>', description: 'hours during which both secrets sign (0 to 720, default 24)' })
  parseGraceHours(value: string): number {
    return parseIntegerOption('--grace-hours', 0, 720)(value);
  }

  async run([id]: string[], options: RotateOptions): Promise<void> {
    const graceHours = options.graceHours ?? 24;
    const { endpoint, secret } = await this.webhooks.rotateSecret(idArgument('the endpoint id', id), graceHours);
    const until = graceHours > 0 ? `the old one also signs until ${iso(endpoint.previousSecretUntil)}` : 'the old one no longer signs';
    this.print(
      options,
      { id: String(endpoint.id), secret },
      `New secret of webhook endpoint ${endpoint.id} (shown only now): ${secret}\n${until}.`,
    );
  }
}

@SubCommand({ name: 'disable', arguments: '<id>', description: 'stop deliveries to an endpoint; its pending ones wait for enable' })
export class WebhooksDisableCommand extends JsonCommand {
  constructor(private readonly webhooks: WebhookEndpointsService) {
    super();
  }

  async run([id]: string[], options: JsonOption): Promise<void> {
    const endpoint = await this.webhooks.disable(idArgument('the endpoint id', id));
    this.print(options, { ok: true, id: String(endpoint.id) }, `Webhook endpoint ${endpoint.id} is disabled.`);
  }
}

@SubCommand({ name: 'enable', arguments: '<id>', description: 'resume deliveries to a disabled endpoint and forget its failures' })
export class WebhooksEnableCommand extends JsonCommand {
  constructor(private readonly webhooks: WebhookEndpointsService) {
    super();
  }

  async run([id]: string[], options: JsonOption): Promise<void> {
    const endpoint = await this.webhooks.enable(idArgument('the endpoint id', id));
    this.print(options, { ok: true, id: String(endpoint.id) }, `Webhook endpoint ${endpoint.id} is enabled.`);
  }
}

interface DeliveriesOptions extends JsonOption {
  tenant?: string;
  endpoint?: number;
  failed?: boolean;
  limit?: number;
}

@SubCommand({ name: 'deliveries', description: 'list deliveries, newest first' })
export class WebhooksDeliveriesCommand extends JsonCommand<DeliveriesOptions> {
  constructor(
    private readonly webhooks: WebhookEndpointsService,
    private readonly tenants: TenantsService,
  ) {
    super();
  }

  @Option(TENANT_OPTION)
  parseTenant(value: string): string {
    return value;
  }

  @Option({ flags: '--endpoint <id>', description: "only this endpoint's deliveries" })
  parseEndpoint(value: string): number {
    return idArgument('--endpoint', value);
  }

  @Option({ flags: '--failed', description: 'only deliveries that failed for good' })
  parseFailed(): boolean {
    return true;
  }

  @Option({ flags: '--limit <n>', description: 'at most this many (1 to 1000, default 50)' })
  parseLimit(value: string): number {
    return parseIntegerOption('--limit', 1, 1000)(value);
  }

  async run(_params: string[], options: DeliveriesOptions): Promise<void> {
    if (options.tenant !== undefined && options.endpoint !== undefined) {
      throw new Error('give --tenant or --endpoint, not both');
    }
    const tenant = options.tenant === undefined ? undefined : await this.tenants.resolve(options.tenant);
    const deliveries = (
      await this.webhooks.listDeliveries({
        tenantId: tenant?.id,
        endpointId: options.endpoint,
        status: options.failed ? DeliveryStatus.Failed : undefined,
        limit: options.limit ?? 50,
      })
    ).map(deliveryView);
    const lines = deliveries.map((d) =>
      [d.id, d.endpoint, d.eventType, d.webhookId, d.status, d.attempts, d.lastStatus ?? d.lastError ?? '-', d.nextAttemptAt ?? '-'].join(
        '\t',
      ),
    );
    const header = ['ID', 'ENDPOINT', 'EVENT', 'WEBHOOK-ID', 'STATUS', 'ATTEMPTS', 'LAST', 'NEXT ATTEMPT'].join('\t');
    this.print(options, { deliveries }, [header, ...lines].join('\n'));
  }
}

@SubCommand({
  name: 'replay',
  arguments: '<id>',
  description: 'send a delivery again now, with the same webhook-id; its attempts start over',
})
export class WebhooksReplayCommand extends JsonCommand {
  constructor(private readonly webhooks: WebhookEndpointsService) {
    super();
  }

  async run([id]: string[], options: JsonOption): Promise<void> {
    const delivery = await this.webhooks.replay(idArgument('the delivery id', id));
    const held = delivery.endpoint?.enabled === false ? ` Its endpoint ${delivery.endpointId} is disabled: it goes once enabled.` : '';
    this.print(options, { ok: true, id: String(delivery.id) }, `Delivery ${delivery.id} is queued again.${held}`);
  }
}

/** The subcommands of `webhooks`; each must also be a provider, so the CLI module lists them from here. */
export const WEBHOOKS_SUBCOMMANDS = [
  WebhooksAddCommand,
  WebhooksListCommand,
  WebhooksRotateSecretCommand,
  WebhooksDisableCommand,
  WebhooksEnableCommand,
  WebhooksDeliveriesCommand,
  WebhooksReplayCommand,
];

@Command({
  name: 'webhooks',
  description: "tenants' webhook endpoints and their deliveries (docs/webhooks.md)",
  subCommands: WEBHOOKS_SUBCOMMANDS,
})
export class WebhooksCommand extends ParentCommand {}
