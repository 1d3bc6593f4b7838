package org.dermatrend.relief;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/**
 * The only place that sees {@code NDArray}s at inference: a {@link ReliefTile} in, the scar depth
 * map of the same window out, in mm (row-major, height × width, ≥ 0).
 */
final class ReliefTranslator implements Translator<ReliefTile, float[]> {

    @Override
    public NDList processInput(TranslatorContext ctx, ReliefTile tile) {
        NDArray x = ctx.getNDManager().create(tile.chw(), new Shape(1, 3, tile.height(), tile.width()));
        return new NDList(x);
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        float[] out = list.head().toFloatArray();
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.max(0, out[i] * ReliefNet.OUTPUT_UNIT_MM);
        }
        return out;
    }

    @Override
    public Batchifier getBatchifier() {
        return null;
    }
}
