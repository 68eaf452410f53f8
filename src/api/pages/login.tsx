import { Layout } from "./layout";

/** Log in once with the API key an administrator issued; the browser then keeps a session cookie. */
export function LoginPage(props: { next: string; error?: string | undefined }) {
  return (
    <Layout title="登录">
      <section class="login card">
        <h1>登录</h1>
        <p class="muted">请输入管理员发放的访问密钥（hk_ 开头）。登录后本机浏览器保持会话 12 小时。</p>
        {props.error ? (
          <p class="alert" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/login">
          <input type="hidden" name="next" value={props.next} />
          <label>
            访问密钥
            <input
              type="password"
              name="key"
              autocomplete="current-password"
              required
              autofocus
              maxlength={200}
              data-testid="login-key"
            />
          </label>
          <button type="submit" class="primary" data-testid="login-submit">
            登录
          </button>
        </form>
      </section>
    </Layout>
  );
}

export function MessagePage(props: { title: string; message: string }) {
  return (
    <Layout title={props.title}>
      <section class="card">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        <p>
          <a href="/login">重新登录</a>
        </p>
      </section>
    </Layout>
  );
}
