using Paseto.Auth.Api;
using Paseto.Auth.Api.Hosting;
using Paseto.Auth.Application;
using Paseto.Auth.Infrastructure;

var (verb, hostArgs) = HostVerbs.Split(args);
var builder = WebApplication.CreateBuilder(hostArgs);
builder.Services.AddApplication().AddInfrastructure(builder.Configuration).AddApi();

var app = builder.Build();
if (verb is not null)
{
    return await HostVerbs.RunAsync(app, verb);
}

app.UseApi();
await app.RunAsync();
return 0;

public partial class Program;
