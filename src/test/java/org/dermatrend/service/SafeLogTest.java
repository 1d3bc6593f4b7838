package org.dermatrend.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SafeLogTest {
    @Test
    void describesTypesAndPlacesButNeverMessages() {
        Exception e = new IllegalStateException("statement failed, arguments: {reference: P-4711}",
                new java.sql.SQLException("duplicate key (clinic, P-4711)"));
        String line = SafeLog.describe(e);
        assertTrue(line.startsWith("java.lang.IllegalStateException at org.dermatrend.service.SafeLogTest."), line);
        assertTrue(line.contains("caused by java.sql.SQLException"), line);
        assertFalse(line.contains("P-4711"), line);
    }
}
