package io.github.dl4jctc.zoo.util;

import io.github.dl4jctc.layer.decode.CtcBeamSearchDecoder;
import io.github.dl4jctc.layer.decode.CtcDecoder;
import io.github.dl4jctc.layer.decode.CtcGreedyDecoder;

/** The decoder a {@code --beam} option asks for. */
public final class Decoders {

    private Decoders() {
    }

    /**
     * @param beam 0 for greedy (best path) decoding, otherwise the beam width of a prefix beam search
     * @return a decoder for {@code [N, C, T]} probabilities with blank = class 0
     */
    public static CtcDecoder forBeam(int beam) {
        if (beam < 0) {
            throw new IllegalArgumentException("--beam: got " + beam + ", expected 0 (greedy) or a beam width >= 1");
        }
        return beam == 0 ? new CtcGreedyDecoder()
                : new CtcBeamSearchDecoder.Builder().blankIndex(0).beamWidth(beam).build();
    }
}
