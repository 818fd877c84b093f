/**
 * The alert relay: a webhook server takes Alertmanager and Grafana alert webhooks, a {@link dev.prowctl.relay.Relay}
 * queues each message for every {@link dev.prowctl.relay.Output} (an IRC channel, chat webhooks, the log) and a
 * worker per output delivers its queue in order, retrying until the output confirms. Its own module so that the
 * Grafana client does not carry IRC code; only the IRC bot's alert source uses Grafana.
 */
package dev.prowctl.relay;
