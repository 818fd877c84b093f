package dev.prowctl.relay;

/** A webhook body the relay cannot read; the message is the reason given to the sender (HTTP 400). */
public final class BadPayloadException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadPayloadException(String reason) {
        super(reason);
    }
}
