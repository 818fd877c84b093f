/**
 * {@code prowctl stack}: start, status, logs and clean of the docker-compose stack, as options over {@link
 * dev.prowctl.stack.Stack}.
 */
package dev.prowctl.cli.stack;
