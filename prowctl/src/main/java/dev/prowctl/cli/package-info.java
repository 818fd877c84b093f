/**
 * The {@code prowctl} command line (picocli): one class per command, shared options as mixins, and the vocabulary
 * every command uses: {@link dev.prowctl.cli.ExitCodes}, {@link dev.prowctl.cli.FailureMap} (exception to exit code
 * and one line), {@link dev.prowctl.cli.DurationConverter}, {@link dev.prowctl.cli.Secret}, {@link
 * dev.prowctl.cli.ConcurrencyOption} and {@link dev.prowctl.cli.Progress}. Data goes to stdout, the rest to stderr.
 */
package dev.prowctl.cli;
