package io.carpoperator.carp;

/** ucarp's CARP states, as printed in "Switching to state: …". */
public enum UcarpState {
    INIT,
    BACKUP,
    MASTER
}
