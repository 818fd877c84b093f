/**
 * What every HTTP client of prowctl shares: {@link dev.prowctl.http.Retry} (which answers are worth asking again,
 * how long to wait, when to stop) and the {@link dev.prowctl.http.Deadline}, {@link dev.prowctl.http.TimeSource}
 * and {@link dev.prowctl.http.Sleeper} it runs on, injected so tests never really wait.
 */
package dev.prowctl.http;
