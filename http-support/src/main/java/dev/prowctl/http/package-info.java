/**
 * What every HTTP client and every message of prowctl shares: {@link dev.prowctl.http.Retry} (which answers are
 * worth asking again, how long to wait, when to stop) and the {@link dev.prowctl.http.Deadline},
 * {@link dev.prowctl.http.TimeSource} and {@link dev.prowctl.http.Sleeper} it runs on, injected so tests never
 * really wait; {@link dev.prowctl.http.ProgressListener} for long transfers; and the two defences applied to
 * everything printed about a server: {@link dev.prowctl.http.Redaction} (no secret from a URL) and
 * {@link dev.prowctl.http.TerminalText} (no control sequence from a payload); and
 * {@link dev.prowctl.http.AtomicFiles}, the one way a file is written (whole or not at all).
 */
package dev.prowctl.http;
