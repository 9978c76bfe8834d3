using ControlRoom.Web.Features.Access;

namespace ControlRoom.Web.Tests.Access;

/// <summary>After sign-in, back to where the operator was: a path on this site, never another site.</summary>
public sealed class ReturnUrlTests
{
    [Theory]
    [InlineData("/audit?actor=rossi", "/audit?actor=rossi")]
    [InlineData("/", "/")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("/\t/evil.example/", "/")]
    [InlineData("/a\\b", "/")]
    [InlineData("audit", "/")]
    public void OnlyLocalPaths_AreFollowed(string? returnUrl, string expected) =>
        SignInPage.LocalReturnUrl(returnUrl).ShouldBe(expected);
}
