package io.portcullis.av;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HashTableTest {
    @Test
    void findsEveryEntryWithHighBitsAndSharedPrefixes() {
        Random r = new Random(9);
        HashTable.Builder b = new HashTable.Builder(16);
        byte[][] hashes = new byte[5000][16];
        for (int i = 0; i < hashes.length; i++) {
            r.nextBytes(hashes[i]);
            if (i % 3 == 0) hashes[i][0] = (byte) 0xFF; // unsigned order must put these last
            if (i % 7 == 0) System.arraycopy(hashes[0], 0, hashes[i], 0, 6); // ties on the sorted prefix
            b.add(hashes[i], 100 + i, i);
        }
        HashTable t = b.build();
        for (int i = 0; i < hashes.length; i++) assertEquals(i, t.lookup(hashes[i], 100 + i), "entry " + i);
        assertEquals(-1, t.lookup(hashes[1], 99));
        assertTrue(t.mayMatch(100) && t.mayMatch(5099) && !t.mayMatch(99) && !t.mayMatch(5100));
        assertTrue(t.mayMatchAtLeast(5099) && !t.mayMatchAtLeast(5100));
        assertFalse(new HashTable.Builder(16).build().mayMatch(0));
    }
}
