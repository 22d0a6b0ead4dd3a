// A receiver of unireg's webhooks: verifies each request with the endpoint's secret (the one
// `webhooks add` printed), acts once per webhook-id, and answers 204.
//   WEBHOOK_SECRET=whsec_... node docs/examples/webhook-receiver.js   (PORT, default 8080)
const { createServer } = require('node:http');
const { Webhook } = require('standardwebhooks');

const webhook = new Webhook(process.env.WEBHOOK_SECRET);
// A retry or a replay carries the same webhook-id; a real receiver keeps these in its database.
const seen = new Set();

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    let event;
    try {
      // Checks the signature (either one during a rotation) and that webhook-timestamp is within 5 minutes.
      event = webhook.verify(body, request.headers);
    } catch {
      response.writeHead(401).end();
      return;
    }
    const id = request.headers['webhook-id'];
    if (!seen.has(id)) {
      seen.add(id);
      console.log(`${id} ${event.type} user ${event.data.user.id} of ${event.data.tenant.kind}:${event.data.tenant.id}`);
    }
    response.writeHead(204).end();
  });
});

server.listen(Number(process.env.PORT ?? 8080), () => console.log(`listening on port ${server.address().port}`));
