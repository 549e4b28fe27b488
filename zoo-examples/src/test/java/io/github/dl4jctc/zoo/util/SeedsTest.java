package io.github.dl4jctc.zoo.util;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class SeedsTest {

    @Test
    void sameSeedAndIndexGiveTheSameStreamOthersDiffer() {
        long a = Seeds.forItem(7, 3).nextLong();
        assertEquals(a, Seeds.forItem(7, 3).nextLong());
        assertNotEquals(a, Seeds.forItem(7, 4).nextLong());
        assertNotEquals(a, Seeds.forItem(8, 3).nextLong());
        // Neighbouring (seed, index) pairs whose sums coincide must not collide.
        assertNotEquals(Seeds.forItem(1, 2).nextLong(), Seeds.forItem(2, 1).nextLong());
    }
}
