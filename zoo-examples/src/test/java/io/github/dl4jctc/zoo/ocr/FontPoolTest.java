package io.github.dl4jctc.zoo.ocr;

import org.junit.jupiter.api.Test;

import java.awt.Font;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FontPoolTest {

    @Test
    void withoutDropsExactlyTheFontsOfOneFamily() {
        FontPool installed = FontPool.installed();
        List<String> families = installed.families();
        assertTrue(families.size() >= 2, "families: " + families);
        String unseen = families.get(families.size() - 1);

        FontPool rest = installed.without(unseen);

        List<String> expected = new ArrayList<>(families);
        expected.remove(unseen);
        assertEquals(expected, rest.families());
        List<Font> unseenFonts = FontPool.of(List.of(unseen)).fonts();
        assertEquals(installed.fonts().size(), rest.fonts().size() + unseenFonts.size());
        for (Font font : rest.fonts()) {
            assertTrue(!unseenFonts.contains(font), font + " belongs to " + unseen);
        }
    }

    @Test
    void withoutRefusesAFamilyNotInThePool() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FontPool.installed().without("No Such Family"));
        assertTrue(e.getMessage().contains("family: got \"No Such Family\""), e.getMessage());
    }

    @Test
    void withoutRefusesThePoolsOnlyFamily() {
        String family = FontPool.installed().families().get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FontPool.of(List.of(family)).without(family));
        assertTrue(e.getMessage().contains("only family"), e.getMessage());
    }
}
