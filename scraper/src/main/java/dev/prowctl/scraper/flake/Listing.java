package dev.prowctl.scraper.flake;

/**
 * What one directory listing showed.
 *
 * @param empty   nothing at all is listed (no file, no sub-directory): on GCS the directory does not exist
 * @param hasFile the file looked for is listed
 */
record Listing(boolean empty, boolean hasFile) {

    /** A directory that does not exist (gcsweb's 404, or GCS listing nothing under the prefix). */
    static final Listing NOTHING = new Listing(true, false);
}
