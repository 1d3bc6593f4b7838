package org.dermatrend.relief;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.util.List;

/**
 * The scar-relief network: a small U-Net (Ronneberger et al. 2015) that maps the 3-channel shading
 * input of {@link ReliefInput} to one channel, the depth of atrophic scars below the surrounding skin
 * in units of {@link #OUTPUT_UNIT_MM} (0.1 mm), at {@link ReliefInput#MM_PER_PX}.
 *
 * <p>Each level is two 3×3 convolutions with batch normalisation and ReLU; levels are joined by 2×2
 * max pooling on the way down and nearest-neighbour 2× upsampling on the way up (DJL's PyTorch engine
 * does not implement transposed convolution), with the encoder's features concatenated to the
 * upsampled decoder's before the level's two convolutions (the skip connections). With channels 16-32-64-128 over
 * four levels the receptive field is about 140 input pixels (11 mm), wide enough to see the whole
 * of a 6 mm rolling scar and the skin around it. Input height and width must be multiples of
 * {@code 2^(levels-1)}.
 */
public final class ReliefNet {
    /** The network's output unit: one output value is this many millimetres of depth. */
    public static final double OUTPUT_UNIT_MM = 0.1;
    /** Channels per level, from full resolution down. */
    static final int[] CHANNELS = {16, 32, 64, 128};
    /** Input and output sizes must be multiples of this. */
    public static final int SIZE_MULTIPLE = 1 << (CHANNELS.length - 1);

    private ReliefNet() {
    }

    /** A new, uninitialised network (the same architecture every time, so saved weights load into it). */
    public static Block build() {
        return new SequentialBlock()
                .add(level(0))
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(1).build());
    }

    private static Block level(int index) {
        SequentialBlock block = new SequentialBlock().add(doubleConv(CHANNELS[index]));
        if (index == CHANNELS.length - 1) {
            return block;
        }
        Block deeper = new SequentialBlock()
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(level(index + 1))
                .add(ReliefNet::upsample);
        block.add(new ParallelBlock(ReliefNet::concatChannels, List.of(Blocks.identityBlock(), deeper)));
        return block.add(doubleConv(CHANNELS[index]));
    }

    /**
     * The network's answer for {@code x} ({@code 1 × 3 × h × w}), computed as {@link #build()}'s blocks compute it,
     * layer by layer, but closing every intermediate array as soon as the next layer has read it. Run through DJL's
     * predictor, a forward pass keeps every layer's output until it ends: about 400 MB for a 512 × 384 input, where
     * this holds only the encoder's outputs awaiting their skip connections (docs/benchmarks.md). Neither closes
     * {@code x}; the result belongs to the caller.
     */
    static NDArray infer(Block block, ParameterStore parameters, NDArray x) {
        if (block instanceof SequentialBlock sequence) {
            NDArray current = x;
            for (Pair<String, Block> child : sequence.getChildren()) {
                NDArray next = infer(child.getValue(), parameters, current);
                if (current != x && current != next) {
                    current.close();
                }
                current = next;
            }
            return current;
        }
        if (block instanceof ParallelBlock parallel) {
            // The only parallel block is a level's skip connection: [identity, deeper], joined along the channels.
            List<Block> branches = parallel.getChildren().values();
            NDArray skip = infer(branches.get(0), parameters, x);
            NDArray deeper = infer(branches.get(1), parameters, x);
            NDArray joined = concatChannels(List.of(new NDList(skip), new NDList(deeper))).head();
            if (skip != x) {
                skip.close();
            }
            if (deeper != x) {
                deeper.close();
            }
            return joined;
        }
        return block.forward(parameters, new NDList(x), false).head();
    }

    /** Nearest-neighbour 2× upsampling (DJL's PyTorch engine has no transposed convolution). */
    private static NDList upsample(NDList in) {
        return new NDList(in.head().repeat(2, 2).repeat(3, 2));
    }

    private static NDList concatChannels(List<NDList> branches) {
        return new NDList(NDArrays.concat(new NDList(branches.get(0).head(), branches.get(1).head()), 1));
    }

    private static Block doubleConv(int channels) {
        SequentialBlock block = new SequentialBlock();
        for (int i = 0; i < 2; i++) {
            block.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                            .setFilters(channels).optBias(false).build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock());
        }
        return block;
    }
}
