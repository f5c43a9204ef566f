using System.Net;
using System.Net.Mail;

public static class Mailer
{
    public static SmtpClient Client() => new SmtpClient("smtp.example.org", 587)
    {
        Credentials = new NetworkCredential("reports@example.org", "Sm7!tp2Qx9"),
        EnableSsl = true,
    };

    public static ICredentials FromEnv(string user) =>
        new NetworkCredential(user, Environment.GetEnvironmentVariable("SMTP_PASSWORD"));
}
