using Platform.Api.Hosting;

await ApiHost.Build(args).RunAsync();
