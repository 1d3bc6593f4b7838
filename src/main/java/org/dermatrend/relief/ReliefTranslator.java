package org.dermatrend.relief;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/**
 * A {@link ReliefTile} in, the scar depth map of the same window out, in mm (row-major, height × width, ≥ 0): for
 * DJL's predictor, and its two conversions for {@link ReliefModel.Inference}, which runs the network itself.
 */
final class ReliefTranslator implements Translator<ReliefTile, float[]> {

    @Override
    public NDList processInput(TranslatorContext ctx, ReliefTile tile) {
        return new NDList(input(ctx.getNDManager(), tile));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return depthMm(list.head());
    }

    /** The network's input for {@code tile}: {@code 1 × 3 × height × width}, owned by {@code manager}. */
    static NDArray input(NDManager manager, ReliefTile tile) {
        return manager.create(tile.chw(), new Shape(1, 3, tile.height(), tile.width()));
    }

    /** The network's output as depth in mm, row-major, ≥ 0. */
    static float[] depthMm(NDArray output) {
        float[] out = output.toFloatArray();
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
