package io.carpoperator.operator;

/** An Event to emit about a VirtualIP: type Normal or Warning, a reason constant and a one-line message. */
record EventNote(String type, String reason, String message) {
    static final String NORMAL = "Normal";
    static final String WARNING = "Warning";

    static EventNote normal(String reason, String message) {
        return new EventNote(NORMAL, reason, message);
    }

    static EventNote warning(String reason, String message) {
        return new EventNote(WARNING, reason, message);
    }
}
