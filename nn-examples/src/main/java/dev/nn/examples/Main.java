package dev.nn.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The examples' entry point: {@code nn-examples [COMMAND] [OPTIONS]}; without a command it runs
 * {@code spiral}. {@code --help} lists the commands, {@code COMMAND --help} their options.
 */
@Command(name = "nn-examples", mixinStandardHelpOptions = true, version = "nn-examples 0.1.0",
        description = "Programs that show nn at work. Without a command: spiral.",
        subcommands = {Spiral.class, Graph.class, TwoLayer.class, Mnist.class, CustomActivation.class, Regression.class,
            SparkMnist.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (tests call this). */
    static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(new Spiral()).execute();
    }
}
