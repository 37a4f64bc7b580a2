/** The page's live success notice and its error alert, the same on every page. */
export function Alerts({ notice, error }: { notice?: string; error?: string }) {
  return (
    <>
      <div aria-live="polite" className="live">
        {notice ? <p className="alert success">{notice}</p> : null}
      </div>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
