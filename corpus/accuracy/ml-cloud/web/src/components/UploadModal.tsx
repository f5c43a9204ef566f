import Replicate from "replicate";
import { createClient } from "@supabase/supabase-js";

// Modal dialog for uploading training images; XML namespaces are kept as-is.
const supabase = createClient(
  process.env.NEXT_PUBLIC_SUPABASE_URL!,
  process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!,
);
const replicate = new Replicate({ auth: "r8_toXjcEbHuNDXQ0sUK4IoFI6nsm4MY6vtUQB2Q" });

export function UploadModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const modalId = "upload-modal-c4d2222f";
  const namespaces = { svg: "http://www.w3.org/2000/svg" };
  return open ? <div className="modal" id={modalId} data-ns={namespaces.svg} onClick={onClose} /> : null;
}
