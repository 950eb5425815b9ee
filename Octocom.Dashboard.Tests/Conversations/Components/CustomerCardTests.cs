using Bunit;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Conversations.Components;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Conversations.Components;

public sealed class CustomerCardTests : BunitTestContext
{
    [Fact]
    public void Render_NoCustomer_ShowsUnidentified()
    {
        var cut = Render<CustomerCard>(p => p.Add(x => x.Customer, null));
        Assert.Equal("Unidentified customer", cut.Find("[data-testid=customer-name]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=customer-email]"));
    }

    [Fact]
    public void Render_IdentifiedCustomer_ShowsContactDetails()
    {
        var cut = Render<CustomerCard>(p => p.Add(x => x.Customer,
            new Customer { Name = "Jane Doe", Email = "jane@example.com", Phone = "+1 555 123 4567", InstagramUsername = "jane_d" }));
        Assert.Equal("Jane Doe", cut.Find("[data-testid=customer-name]").TextContent);
        Assert.Equal("jane@example.com", cut.Find("[data-testid=customer-email]").TextContent);
        Assert.Equal("+1 555 123 4567", cut.Find("[data-testid=customer-phone]").TextContent);
        Assert.Contains("@jane_d", cut.Markup);
        Assert.Contains(">JD<", cut.Markup.Replace(" ", ""));
    }

    [Fact]
    public void Render_CustomerWithOnlyEmail_UsesEmailAsName()
    {
        var cut = Render<CustomerCard>(p => p.Add(x => x.Customer, new Customer { Email = "anon@example.com" }));
        Assert.Equal("anon@example.com", cut.Find("[data-testid=customer-name]").TextContent);
        Assert.Equal("—", cut.Find("[data-testid=customer-phone]").TextContent);
    }
}
