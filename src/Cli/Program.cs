using Platform.Cli;

return await PlatformCli.RunAsync(args, Console.Out, Console.Error);
