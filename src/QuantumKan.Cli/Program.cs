return QuantumKan.Cli.CliApp.Run(args);
