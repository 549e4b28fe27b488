package io.github.dl4jctc.layer.decode;

import java.util.Arrays;

/** A {@link CtcLanguageModel} over labels: {@code weight * ln P(c | prefix) + insertionBonus} per appended label. */
final class LabelScorer implements PrefixScorer {

    private final CtcLanguageModel languageModel;
    private final double weight;
    private final double insertionBonus;
    private final int blankIndex;

    LabelScorer(CtcLanguageModel languageModel, double weight, double insertionBonus, int blankIndex) {
        this.languageModel = languageModel;
        this.weight = weight;
        this.insertionBonus = insertionBonus;
        this.blankIndex = blankIndex;
    }

    @Override
    public Object initialState() {
        return null;
    }

    @Override
    public void addExtensionScores(Object state, int[] labels, double[] row) {
        for (int c = 0; c < row.length; c++) {
            if (c == blankIndex) {
                continue;
            }
            double lm = 0;
            if (languageModel != null) {
                lm = languageModel.logProbability(labels, c);
                if (Double.isNaN(lm)) {
                    throw new IllegalStateException("languageModel " + languageModel + " returned NaN for label " + c
                            + " after " + Arrays.toString(labels));
                }
            }
            row[c] += weight * lm + insertionBonus;
        }
    }

    @Override
    public Object extend(Object state, int[] labels, int label) {
        return null;
    }

    @Override
    public double endScore(Object state, int[] labels) {
        return 0;
    }
}
