/**
 * Test infrastructure every module uses with test scope: real servers started on free loopback ports and stopped
 * by PID, the {@code ../shared} fixture lookup, and {@link dev.prowctl.testing.Prerequisites}, the one rule for a
 * missing server or file.
 */
package dev.prowctl.testing;
