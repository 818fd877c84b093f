/**
 * Drives the docker-compose stack (InfluxDB, Grafana, Telegraf) of a prowctl checkout through docker and compose
 * child processes. Independent of the command line: failures are {@link dev.prowctl.stack.StackException}s.
 */
package dev.prowctl.stack;
