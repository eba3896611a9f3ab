package dev.nn.optim;

/**
 * Sets an optimizer's learning rates as a function of how many steps (epochs, or batches for
 * per-batch schedules) have passed. A scheduler applies the rate for step 0 when constructed and
 * the rate for step k after its k-th {@link #step()}, as PyTorch's do. Each group's rate is its
 * own base rate (the rate it had when the scheduler was made) run through the schedule.
 */
public interface LRScheduler {

    /** Advances one step and sets the new learning rates. */
    void step();

    /** Returns the number of steps taken. */
    int steps();

    /** Jumps to step {@code t} and sets its learning rates (resuming from a checkpoint uses it). */
    void setSteps(int t);

    /** Returns the first group's current learning rate. */
    float lr();
}
