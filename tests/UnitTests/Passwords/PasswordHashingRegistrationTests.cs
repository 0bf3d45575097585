using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Infrastructure.Security;

namespace Paseto.Auth.UnitTests.Passwords;

public class PasswordHashingRegistrationTests
{
    [Test]
    public async Task Settings_under_Auth_Passwords_set_the_parameters_and_engine()
    {
        using var provider = Build(new()
        {
            ["Auth:Passwords:MemoryKiB"] = "1024",
            ["Auth:Passwords:Iterations"] = "3",
            ["Auth:Passwords:Parallelism"] = "2",
            ["Auth:Passwords:Engine"] = "managed",
        });

        var hasher = provider.GetRequiredService<IPasswordHasher>();
        var phc = await hasher.HashAsync("correct horse battery staple", CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(phc, Does.StartWith("$argon2id$v=19$m=1024,t=3,p=2$"));
            Assert.That(provider.GetRequiredService<IOptions<PasswordHashingOptions>>().Value.Engine, Is.EqualTo(PasswordHashingEngine.Managed));
        }
    }

    [Test]
    public void Without_settings_the_defaults_are_OWASP_parameters_on_the_auto_engine()
    {
        using var provider = Build([]);

        var options = provider.GetRequiredService<IOptions<PasswordHashingOptions>>().Value;
        var hasher = (Argon2idPasswordHasher)provider.GetRequiredService<IPasswordHasher>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.MemoryKiB, Is.EqualTo(19456));
            Assert.That(options.Iterations, Is.EqualTo(2));
            Assert.That(options.Parallelism, Is.EqualTo(1));
            Assert.That(options.Engine, Is.EqualTo(PasswordHashingEngine.Auto));
            // Ours where this process has AVX2 (the scalar run of scripts/test.sh has not), libsodium otherwise.
            Assert.That(hasher.Engine, System.Runtime.Intrinsics.X86.Avx2.IsSupported ? Is.TypeOf<SimdArgon2idEngine>() : Is.TypeOf<LibsodiumArgon2idEngine>());
        }
    }

    [TestCase(PasswordHashingEngine.Auto, 1, true, PasswordHashingEngine.Simd)]
    [TestCase(PasswordHashingEngine.Auto, 1, false, PasswordHashingEngine.Libsodium)]
    [TestCase(PasswordHashingEngine.Auto, 2, false, PasswordHashingEngine.Simd)]
    [TestCase(PasswordHashingEngine.Libsodium, 1, true, PasswordHashingEngine.Libsodium)]
    [TestCase(PasswordHashingEngine.Managed, 1, true, PasswordHashingEngine.Managed)]
    [TestCase(PasswordHashingEngine.Simd, 1, false, PasswordHashingEngine.Simd)]
    public void Auto_takes_our_engine_with_AVX2_or_several_lanes_and_libsodium_otherwise(PasswordHashingEngine configured, int parallelism, bool avx2, PasswordHashingEngine expected)
    {
        Assert.That(Argon2idPasswordHasher.ResolveEngine(configured, parallelism, avx2), Is.EqualTo(expected));
    }

    [Test]
    public async Task The_simd_engine_is_selected_by_name_and_its_hashes_verify_with_libsodium()
    {
        using var provider = Build(new() { ["Auth:Passwords:Engine"] = "simd", ["Auth:Passwords:MemoryKiB"] = "1024" });
        var hasher = (Argon2idPasswordHasher)provider.GetRequiredService<IPasswordHasher>();
        using var libsodium = Argon2idPasswordHasher.Create(new PasswordHashingOptions { MemoryKiB = 1024 });

        var phc = await hasher.HashAsync("correct horse battery staple", CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hasher.Engine, Is.TypeOf<SimdArgon2idEngine>());
            Assert.That(await libsodium.VerifyAsync("correct horse battery staple", phc, CancellationToken.None), Is.EqualTo(PasswordVerification.Succeeded));
        }
    }

    [Test]
    public void The_engine_name_is_read_case_insensitively()
    {
        using var provider = Build(new() { ["Auth:Passwords:Engine"] = "libsodium" });

        Assert.That(provider.GetRequiredService<IOptions<PasswordHashingOptions>>().Value.Engine, Is.EqualTo(PasswordHashingEngine.Libsodium));
    }

    [Test]
    public void The_hasher_is_one_instance_per_process()
    {
        using var provider = Build([]);

        var first = provider.GetRequiredService<IPasswordHasher>();
        var second = provider.GetRequiredService<IPasswordHasher>();

        Assert.That(second, Is.SameAs(first));
    }

    [TestCase("MemoryKiB", "2097152", TestName = "{m}(2 GiB)")]
    [TestCase("MemoryKiB", "7", TestName = "{m}(7 KiB)")]
    [TestCase("Iterations", "0", TestName = "{m}(no iterations)")]
    [TestCase("Iterations", "1000", TestName = "{m}(1000 iterations)")]
    [TestCase("Parallelism", "0", TestName = "{m}(no lanes)")]
    public void Absurd_settings_stop_the_host_at_start(string key, string value)
    {
        using var provider = Build(new() { ["Auth:Passwords:" + key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(error.Message, Does.Contain("Auth:Passwords:" + key));
    }

    [Test]
    public void The_libsodium_engine_with_two_lanes_stops_the_host_at_start()
    {
        using var provider = Build(new() { ["Auth:Passwords:Engine"] = "libsodium", ["Auth:Passwords:Parallelism"] = "2" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(error.Message, Does.Contain("Auth:Passwords:Parallelism"));
    }

    [Test]
    public void An_unknown_engine_stops_the_host_at_start()
    {
        using var provider = Build(new() { ["Auth:Passwords:Engine"] = "bcrypt" });

        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }

    [TestCase("managed")]
    [TestCase("simd")]
    [TestCase("auto")]
    public void Valid_settings_with_several_lanes_pass_start_up_validation(string engine)
    {
        using var provider = Build(new() { ["Auth:Passwords:Engine"] = engine, ["Auth:Passwords:Parallelism"] = "4", ["Auth:Passwords:MemoryKiB"] = "65536" });

        Assert.DoesNotThrow(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }

    [Test]
    public void Without_Unicode_normalisation_the_settings_are_refused()
    {
        var validator = new PasswordHashingOptionsValidator(normalizationAvailable: false);

        var result = validator.Validate(null, new PasswordHashingOptions());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.FailureMessage, Does.Contain("InvariantGlobalization=false"));
        }
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddPasswordHashing(configuration).BuildServiceProvider();
    }
}
