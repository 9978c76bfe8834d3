using ControlRoom.Domain.Access;

namespace ControlRoom.Domain.Tests.Access;

public sealed class AccountTests
{
    [Theory]
    [InlineData("operatore", true)]
    [InlineData("giulia.bianchi_2-b", true)]
    [InlineData("", false)]
    [InlineData("Operatore", false)]
    [InlineData("con spazio", false)]
    [InlineData("operatore\n", false)] // "$" would let a final newline through into logs and the audit trail
    [InlineData("mario/rossi", false)]
    public void UserNames_AreLowerCaseLettersDigitsAndDotDashUnderscore(string userName, bool valid) =>
        Account.IsValidUserName(userName).ShouldBe(valid);

    [Fact]
    public void UserNames_HaveAMaximumLength()
    {
        Account.IsValidUserName(new string('a', Account.MaxUserNameLength)).ShouldBeTrue();
        Account.IsValidUserName(new string('a', Account.MaxUserNameLength + 1)).ShouldBeFalse();
    }
}
