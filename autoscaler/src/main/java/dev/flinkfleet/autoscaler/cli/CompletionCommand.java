package dev.flinkfleet.autoscaler.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code completion bash|zsh}: prints picocli's completion script for the whole command tree, generated from the
 * same annotations as the help, so it cannot fall behind a new command or option.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print the shell completion script for bin/autoscaler (bash or zsh).", "",
            "  bash:  source <(bin/autoscaler completion bash)",
            "  zsh:   autoload -U +X bashcompinit && bashcompinit, then as for bash"})
final class CompletionCommand implements Callable<Integer> {

    /** The shells picocli's script serves (zsh through its bash compatibility). */
    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        // Completes the command as users type it (bin/autoscaler and autoscaler alike: bash falls back to the
        // part after the last slash).
        spec.commandLine().getOut().print(AutoComplete.bash("autoscaler", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
