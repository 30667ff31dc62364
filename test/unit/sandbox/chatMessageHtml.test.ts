import { chatMessageHtml } from "../../../sandbox/shell/chatPage";

describe("the shell's rendering of a Teams message's HTML", () => {
  it.each([
    ["<p>Backup for <b>CAS-1: Scanner</b> is ready.</p>", "<p>Backup for <b>CAS-1: Scanner</b> is ready.</p>"],
    [
      '<p><a href="https://org.example/main.aspx?etn=incident&amp;id=1&amp;pagetype=entityrecord">Open case</a></p>',
      '<p><a href="https://org.example/main.aspx?etn=incident&amp;id=1&amp;pagetype=entityrecord" target="_top" rel="noreferrer">Open case</a></p>',
    ],
    ['<a href="javascript:alert(1)">x</a>', "<a>x</a>"],
    ['<p onclick="alert(1)">x</p>', "<p>x</p>"],
    ["<script>alert(1)</script>", "alert(1)"],
    ['<img src=x onerror="alert(1)">', ""],
    ["Printer &lt;img&gt; &amp; scanner", "Printer &lt;img&gt; &amp; scanner"],
    ["a < b", "a &lt; b"],
  ])("%s → %s", (input, expected) => {
    expect(chatMessageHtml(input)).toBe(expected);
  });
});
